from django.urls import path

from uid import views

app_name = "uid"

urlpatterns = [
    path("", views.submission_list, name="submission_list"),
    path("new/", views.submission_create, name="submission_create"),
    path("<int:pk>/", views.submission_detail, name="submission_detail"),
    path("<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("<int:pk>/timeline/", views.submission_timeline, name="submission_timeline"),
    path(
        "<int:pk>/animals/",
        views.submission_records,
        {"kind": "animals"},
        name="submission_animals",
    ),
    path(
        "<int:pk>/animals/<int:record_pk>/",
        views.submission_record,
        {"kind": "animals"},
        name="submission_animal",
    ),
    path(
        "<int:pk>/samples/<int:record_pk>/",
        views.submission_record,
        {"kind": "samples"},
        name="submission_sample",
    ),
    path(
        "<int:pk>/animals/lookup/", views.submission_animal_lookup, name="submission_animal_lookup"
    ),
    path(
        "<int:pk>/animals/batch/",
        views.submission_records_batch,
        {"kind": "animals"},
        name="submission_animals_batch",
    ),
    path(
        "<int:pk>/samples/batch/",
        views.submission_records_batch,
        {"kind": "samples"},
        name="submission_samples_batch",
    ),
    path(
        "<int:pk>/animals.csv",
        views.submission_records_csv,
        {"kind": "animals"},
        name="submission_animals_csv",
    ),
    path(
        "<int:pk>/samples.csv",
        views.submission_records_csv,
        {"kind": "samples"},
        name="submission_samples_csv",
    ),
    path(
        "<int:pk>/samples/",
        views.submission_records,
        {"kind": "samples"},
        name="submission_samples",
    ),
    path("<int:pk>/retry/", views.submission_retry, name="submission_retry"),
    path("<int:pk>/validate/", views.submission_validate, name="submission_validate"),
    path("<int:pk>/findings/<int:number>/", views.submission_finding, name="submission_finding"),
    path("<int:pk>/reload/", views.submission_reload, name="submission_reload"),
    path("<int:pk>/delete/", views.submission_delete, name="submission_delete"),
    path("<int:pk>/file/", views.submission_file, name="submission_file"),
    path("<int:pk>/tasks/<int:task_pk>/problems.csv", views.task_problems, name="task_problems"),
    path("<int:pk>/files/<int:file_pk>/", views.submission_kept_file, name="submission_kept_file"),
]
