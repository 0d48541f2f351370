from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organizations and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import session_limits_start

        # Every way of signing in starts the session's clocks: the portal's
        # sign-in, and any other (the test client's force_login).
        user_logged_in.connect(
            session_limits_start, dispatch_uid="accounts.session_limits_start"
        )
