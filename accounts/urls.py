from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("profile/organisation/", views.organisation_add, name="organisation_add"),
    path("terms/", views.terms, name="terms"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
