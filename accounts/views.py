from typing import cast

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.selectors import home_context

HOME_TEMPLATES: dict[str, str] = {
    User.Role.CASE_MANAGER: "accounts/home_case_manager.html",
    User.Role.IPS_SPECIALIST: "accounts/home_specialist.html",
    User.Role.IPS_SUPERVISOR: "accounts/home_supervisor.html",
    User.Role.PROGRAM_REVIEWER: "accounts/home_reviewer.html",
    User.Role.ADMINISTRATOR: "accounts/home_administrator.html",
}


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: never anonymous here
    template = HOME_TEMPLATES.get(user.role, HOME_TEMPLATES[User.Role.ADMINISTRATOR])
    return render(request, template, home_context(user))
