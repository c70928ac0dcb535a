from django.urls import path

from biosample import views

app_name = "biosample"

urlpatterns = [
    path("<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/sync/", views.submission_sync, name="submission_sync"),
    path("<int:pk>/sync/webin/", views.submission_sync_signin, name="submission_sync_signin"),
    path("<int:pk>/sync/pull/", views.submission_pull, name="submission_pull"),
    path("<int:pk>/sync/orphans/adopt/", views.orphans_adopt, name="orphans_adopt"),
    path("<int:pk>/sync/orphans/withdraw/", views.orphans_withdraw, name="orphans_withdraw"),
]
