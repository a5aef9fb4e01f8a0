from django.db import connection
from django.http import JsonResponse


def health(request):
    """For the load balancer: the app answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    """Each role lands where its work is: contractors on their projects, departments on their joint-meeting
    items, everyone else on the summary."""
    from django.shortcuts import redirect

    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.role == "contractor":
        return redirect("works:list")
    if request.user.role == "department_member":  # a department or utility: its joint-meeting items
        return redirect("coordination:items")
    return redirect("reports:summary")
