from django.contrib import admin

from secretariat.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["subject_de", "created_by", "sent_at", "recipient_count", "failed_count"]
    readonly_fields = ["created_by", "created_at", "sent_at", "recipient_count", "failed_count", "failed_addresses"]
