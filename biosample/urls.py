from django.urls import path

from biosample import views

app_name = "biosample"

urlpatterns = [
    path("<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/sync/", views.submission_sync, name="submission_sync"),
]
