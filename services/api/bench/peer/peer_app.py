"""The seed's upload design, the peer of `pnpm bench upload`: FastAPI + boto3 under uvicorn.

POST /v1/images (multipart, field "file") -> S3 put_object -> one SQS send_message -> 202.
Run: PEER_BUCKET=... PEER_QUEUE_URL=... AWS_ENDPOINT_URL=... python3 -m uvicorn peer_app:app
(with AWS_DATA_PATH naming botocore-data/, so boto3 speaks SQS's JSON protocol).
"""

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone

import boto3
from botocore.config import Config
from fastapi import FastAPI, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

BUCKET = os.environ["PEER_BUCKET"]
QUEUE_URL = os.environ["PEER_QUEUE_URL"]
_config = Config(max_pool_connections=64, retries={"max_attempts": 1}, s3={"addressing_style": "path"})
_s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=_config)
_sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=_config)

app = FastAPI()


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


def _store(data: bytes, name: str, content_type: str) -> dict:
    image_id = uuid.uuid4().hex
    key = f"originals/{image_id}"
    sha256 = hashlib.sha256(data).hexdigest()
    _s3.put_object(Bucket=BUCKET, Key=key, Body=data, ContentType=content_type,
                   Metadata={"image-id": image_id, "original-name": name})
    message = {
        "type": "ImageUploaded", "version": 1, "imageId": image_id, "bucket": BUCKET, "key": key,
        "contentType": content_type, "bytes": len(data), "sha256": sha256, "originalName": name,
        "uploadedAt": datetime.now(timezone.utc).isoformat(),
    }
    _sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(message))
    return {"imageId": image_id, "key": key}


@app.post("/v1/images", status_code=202)
async def upload(file: UploadFile = File(...)):
    data = await file.read()
    stored = await run_in_threadpool(_store, data, file.filename or "upload", file.content_type or "")
    return JSONResponse(stored, status_code=202)
