from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.sign_in_code_view, name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.account_view, name="account"),
    path(
        "account/password/",
        views.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path(
        "account/two-step-sign-in/",
        views.two_factor_setup_view,
        name="two-factor-setup",
    ),
    path(
        "account/sign-out-everywhere/",
        views.sign_out_everywhere_view,
        name="sign-out-everywhere",
    ),
]
