app_name = "cadres"

urlpatterns: list = []
