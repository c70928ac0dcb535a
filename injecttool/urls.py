from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from injecttool import views

admin.site.site_header = "InjectTool administration"
admin.site.site_title = "InjectTool admin"
# Staff log in through the site's own log-in, with its rate limits and lockout; the admin's
# form would take any number of guesses.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("submissions/", include("uid.urls")),
    path("submissions/", include("biosample.urls")),
    path("", include("language.urls")),
    path("excel/", include("excel.urls")),
    path("api/v1/", include("injecttool.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
