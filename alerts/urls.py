from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("maintenance/", views.MaintenanceWarningListView.as_view(), name="maintenance"),
    path("inspection/", views.InspectionWarningListView.as_view(), name="inspection"),
    path("component/", views.ComponentWarningListView.as_view(), name="component"),
    path("component/<int:pk>/replace/", views.ComponentReplaceView.as_view(), name="component_replace"),
    path("settings/", views.AlertSettingsView.as_view(), name="settings"),
    path("settings/<int:pk>/edit/", views.AlertSettingsEditView.as_view(), name="settings_edit"),
    # 限速器检验预警
    path("governor/", views.GovernorWarningListView.as_view(), name="governor"),
]

# --- 维保合同到期预警 ------------------------------------------------------------------------------------------
urlpatterns += [path("contract/", views.ContractWarningListView.as_view(), name="contract")]
# 人员证书到期预警 and 维保记录待确认预警
urlpatterns += [
    path("certificate/", views.CertificateWarningListView.as_view(), name="certificate"),
    path("confirmation/", views.ConfirmationWarningListView.as_view(), name="confirmation"),
]

# --- 应急演练预警 and 年度自行检查预警 ---
urlpatterns += [
    path("drill/", views.DrillWarningListView.as_view(), name="drill"),
    path("selfcheck/", views.SelfcheckWarningListView.as_view(), name="selfcheck"),
]
