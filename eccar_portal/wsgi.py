import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eccar_portal.settings")
application = get_wsgi_application()

# The page cache's key names the code's version; computing it reads every template once, so it happens here, when
# a worker starts, rather than in the first visitor's request.
from core.public_cache import code_version  # noqa: E402

code_version()
