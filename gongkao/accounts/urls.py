from django.urls import path

from gongkao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("register/code/", views.register_send_code, name="register_send_code"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/confirm/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
