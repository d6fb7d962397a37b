from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("obtain/", views.obtain_account, name="obtain_account"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserEditView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/qualification/", views.user_qualification, name="user_qualification"),
    path("users/<int:pk>/face/", views.user_face, name="user_face"),
    path("users/<int:pk>/reset-password/", views.ResetPasswordView.as_view(), name="user_reset_password"),
    path("users/<int:pk>/unlock/", views.UnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/acknowledge/", views.AcknowledgeAccountView.as_view(), name="user_acknowledge"),
]
