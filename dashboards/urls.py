from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_view, name="home"),
    path("<slug:board>/", views.dashboard_view, name="board"),
    path("tables/<slug:slug>.csv", views.table_download, name="csv"),
    path("charts/<slug:name>.svg", views.chart_view, name="chart"),
]
