from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from uid import selectors


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = selectors.owner_status_counts(owner=request.user)
    has_data = any(row["count"] for row in counts["submissions"])
    return render(request, "dashboard.html", {"counts": counts, "has_data": has_data})
