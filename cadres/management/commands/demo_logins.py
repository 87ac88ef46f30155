from django.core.management.base import BaseCommand

from cadres.demo import DEMO_PASSWORD
from cadres.models import Post, User


class Command(BaseCommand):
    help = "列出演示账号"

    def handle(self, *args, **options) -> None:
        posts = Post.objects.filter(user__username__in=self._usernames()).select_related("user", "region").order_by("id")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}），打开 http://127.0.0.1:8000/ 登录：")
        self.stdout.write(f"  {'用户名':<14}{'角色':<12}区划")
        for post in posts:
            star = f"（{post.get_star_display()}）" if post.star else ""
            self.stdout.write(f"  {post.user.username:<16}{post.get_role_display() + star:<14}{post.region.name}")
        if User.objects.filter(username="admin", is_superuser=True).exists():
            self.stdout.write(f"  {'admin':<16}{'系统管理员':<14}后台 /admin/")
        self.stdout.write("")

    @staticmethod
    def _usernames() -> list[str]:
        return ["org", "clerk", "clerk2", "secretary", "first"] + [
            f"lead_{s}" for s in ("branch", "industry", "ecology", "safety", "civility",
                                  "urban_industry", "urban_ecology", "urban_civility")
        ]
