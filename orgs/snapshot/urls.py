from django.urls import path

from . import views

urlpatterns = [
    path("", views.downloads, name="downloads"),
    path("<str:name>", views.download, name="download"),
]
