"""Site-wide pages: the home page, the curator's dashboard and the health check."""

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
    cards = [
        {"kind": kind, "total": sum(row["count"] for row in rows), "rows": rows}
        for kind, rows in counts.items()
    ]
    has_data = any(card["total"] for card in cards)
    context = {"cards": cards, "has_data": has_data}
    if has_data:
        context["charts"] = selectors.records_charts(owner=request.user, status_counts=counts)
    return render(request, "dashboard.html", context)
