from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_view, name="home"),
    # Before the boards, so that no board is ever mistaken for the report.
    path("report.pdf", views.report_download, name="report-pdf"),
    path("reports/<uuid:report_id>/", views.report_status, name="report"),
    path("reports/<uuid:report_id>.pdf", views.report_file, name="report-file"),
    path("<slug:board>/", views.dashboard_view, name="board"),
    path("tables/<slug:slug>.csv", views.table_download, name="csv"),
    path("charts/<slug:name>.svg", views.chart_view, name="chart"),
]
