from django.urls import path

from excel import views

app_name = "excel"

urlpatterns = [
    path("template/", views.template_download, name="template_download"),
    path("submissions/<int:pk>.xlsx", views.submission_template, name="submission_template"),
]
