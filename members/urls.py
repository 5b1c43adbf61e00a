# The coordinator's pages of the members app; the public member pages are in portal/urls.py.
urlpatterns: list = []
