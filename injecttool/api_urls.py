"""Routes of the REST API, mounted at /api/v1/ (namespace "api")."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from biosample import api as biosample_api
from uid import api as uid_api

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # one path per resource in the schema
router.register("submissions", uid_api.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("auth/token/", uid_api.TokenCreateView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "submissions/<int:submission_id>/animals/",
        uid_api.SubmissionAnimalList.as_view(),
        name="submission-animals",
    ),
    path(
        "submissions/<int:submission_id>/samples/",
        uid_api.SubmissionSampleList.as_view(),
        name="submission-samples",
    ),
    path(
        "submissions/<int:pk>/submit/",
        biosample_api.SubmissionSubmitView.as_view(),
        name="submission-submit",
    ),
    path(
        "submissions/<int:pk>/preview/",
        biosample_api.SubmissionPreviewView.as_view(),
        name="submission-preview",
    ),
    path(
        "submissions/<int:pk>/sync/",
        biosample_api.SubmissionSyncView.as_view(),
        name="submission-sync",
    ),
    path("animals/<int:pk>/", uid_api.AnimalDetail.as_view(), name="animal"),
    path("samples/<int:pk>/", uid_api.SampleDetail.as_view(), name="sample"),
    *router.urls,
]

if uid_api.docs_available():
    urlpatterns.append(path("docs/", uid_api.ApiDocsView.as_view(), name="docs"))
