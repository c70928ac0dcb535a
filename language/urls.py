from django.urls import path

from language import views

app_name = "language"

urlpatterns = [
    path("submissions/<int:pk>/species-words/", views.species_words, name="species_words"),
]
