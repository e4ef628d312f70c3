"""An independent SigV4 implementation for scrape-check's tests: botocore (Debian's python3-botocore)
recomputes signatures, and awscli's own TokenGenerator makes reference EKS tokens at a fixed time
(run with --awscli for that, so botocore is the one /usr/bin/aws runs with).

Reads one JSON request per line on stdin, writes one JSON answer per line on stdout:
  {"id", "op": "presign", "url" (without X-Amz-Signature), "headers", "region", "service",
   "accessKeyId", "secretAccessKey", "sessionToken"?}            -> {"id", "signature"}
  {"id", "op": "header", "method", "url", "headers" (the signed ones), "body" (base64), ...} -> {"id", "signature"}
  {"id", "op": "eks-token", "cluster", "region", "amzDate", credentials...}                -> {"id", "token"}
"""
import base64
import datetime
import json
import sys
from urllib.parse import parse_qs, urlsplit

if "--awscli" in sys.argv:
    # awscli v2 vendors its own botocore; importing awscli first makes `botocore` resolve to it,
    # exactly as /usr/bin/aws runs (awscli/__init__.py, TopLevelImportAliasFinder).
    import awscli  # noqa: F401

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def credentials(req):
    return Credentials(req["accessKeyId"], req["secretAccessKey"], req.get("sessionToken"))


def presign(req):
    query = parse_qs(urlsplit(req["url"]).query)
    expires = int(query["X-Amz-Expires"][0])
    auth = SigV4QueryAuth(credentials(req), req["service"], req["region"], expires=expires)
    request = AWSRequest(method="GET", url=req["url"], headers=req["headers"])
    request.context["timestamp"] = query["X-Amz-Date"][0]
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request)


def header(req):
    auth = SigV4Auth(credentials(req), req["service"], req["region"])
    body = base64.b64decode(req["body"])
    request = AWSRequest(method=req["method"], url=req["url"], headers=req["headers"], data=body)
    request.context["timestamp"] = req["headers"]["x-amz-date"]
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request)


class FrozenDatetime(datetime.datetime):
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen


def eks_token(req):
    import botocore.auth
    import botocore.session
    from awscli.customizations.eks.get_token import STSClientFactory, TokenGenerator

    FrozenDatetime.frozen = datetime.datetime.strptime(req["amzDate"], "%Y%m%dT%H%M%SZ")
    session = botocore.session.Session()
    original = botocore.auth.datetime.datetime
    botocore.auth.datetime.datetime = FrozenDatetime
    try:
        client = session.create_client(
            "sts",
            region_name=req["region"],
            aws_access_key_id=req["accessKeyId"],
            aws_secret_access_key=req["secretAccessKey"],
            aws_session_token=req.get("sessionToken"),
        )
        STSClientFactory(session)._register_k8s_aws_id_handlers(client)
        return TokenGenerator(client).get_token(req["cluster"])
    finally:
        botocore.auth.datetime.datetime = original


for line in sys.stdin:
    req = json.loads(line)
    try:
        if req["op"] == "presign":
            answer = {"signature": presign(req)}
        elif req["op"] == "header":
            answer = {"signature": header(req)}
        elif req["op"] == "eks-token":
            answer = {"token": eks_token(req)}
        else:
            answer = {"error": "unknown op"}
    except Exception as error:  # report, keep serving
        answer = {"error": f"{type(error).__name__}: {error}"}
    answer["id"] = req["id"]
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
