from django.urls import re_path

from uid.consumers import SubmissionConsumer

websocket_urlpatterns = [
    re_path(r"^ws/submissions/(?P<pk>\d+)/$", SubmissionConsumer.as_asgi()),
]
