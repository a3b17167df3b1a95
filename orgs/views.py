from django.shortcuts import render

from orgs.models import Organization


def home(request):
    organizations = Organization.objects.order_by("name")
    return render(request, "orgs/home.html", {"organizations": organizations})
