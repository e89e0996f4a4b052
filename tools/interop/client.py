#!/usr/bin/env python3
"""A Baton client written from PROTOCOL.md alone, with third-party WebSocket and MessagePack
libraries: runs a complete handoff (front end + agent desktop) against `baton serve` in one
encoding and checks every reply. Exit 0 and an `interop ok` line when everything matched.
It expects a server with no other `general` agent logged in (the offer must come to it).

    python client.py --url ws://127.0.0.1:7878 --encoding msgpack \
        --key dev-gateway-key --secret dev-token-secret-change-me
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import sys
import time
import uuid

import msgpack
from websockets.asyncio.client import connect

WAIT_S = 20


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint_token(secret: str, claims: dict) -> str:
    """PROTOCOL.md section 2: base64url(claims JSON) "." base64url(HMAC-SHA256 of the first part)."""
    body = b64url(json.dumps(claims).encode("utf-8"))
    mac = hmac.new(secret.encode("utf-8"), body.encode("ascii"), hashlib.sha256).digest()
    return body + "." + b64url(mac)


class Client:
    def __init__(self, ws, encoding):
        self.ws = ws
        self.encoding = encoding

    @classmethod
    async def open(cls, url, credential, encoding):
        subprotocol = "baton.v1.msgpack" if encoding == "msgpack" else "baton.v1.json"
        ws = await connect(
            url,
            subprotocols=[subprotocol],
            additional_headers={"Authorization": "Bearer " + credential},
        )
        if ws.subprotocol != subprotocol:
            raise AssertionError(f"server chose {ws.subprotocol!r}, not {subprotocol!r}")
        return cls(ws, encoding)

    async def send(self, frame):
        if self.encoding == "msgpack":
            await self.ws.send(msgpack.packb(frame, use_bin_type=True))
        else:
            await self.ws.send(json.dumps(frame))

    async def recv(self):
        data = await asyncio.wait_for(self.ws.recv(), WAIT_S)
        if self.encoding == "msgpack":
            expect(isinstance(data, bytes), "binary frames on a msgpack connection")
            frame = msgpack.unpackb(data, raw=False)
        else:
            expect(isinstance(data, str), "text frames on a json connection")
            frame = json.loads(data)
        expect(isinstance(frame, dict) and isinstance(frame.get("type"), str), f"a map with a type: {frame!r}")
        return frame

    async def until(self, what, matches):
        while True:
            frame = await self.recv()
            if matches(frame):
                return frame

    async def request(self, frame):
        await self.send(frame)
        return await self.until(f"reply to {frame['ref']}", lambda f: f.get("ref") == frame["ref"])

    async def close(self):
        await self.ws.close()


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def is_event(frame, kind):
    return frame["type"] == "event" and frame["event"]["type"] == kind


def is_agent_event(frame, kind):
    return frame["type"] == "agent_event" and frame["event"]["type"] == kind


async def handoff(args):
    """Connects an agent desktop and a front end; the customer asks for a person."""
    run = uuid.uuid4().hex[:8]
    conversation = f"py-{args.encoding}-{run}"
    claims = {
        "agent": f"py-agent-{args.encoding}-{run}",
        "name": "Robin Python",
        "team": "Interop",
        "skills": [["general", 3]],
        "capacity": 1,
        "clearances": [],
        "exp": int(time.time()) + 600,
    }
    agent = await Client.open(args.url + "/v1/agent", mint_token(args.secret, claims), args.encoding)
    hello = await agent.recv()
    expect(hello == {"type": "hello", "protocol": "baton.v1", "encoding": args.encoding, "role": "agent"}, f"agent hello {hello}")
    state = await agent.recv()
    expect(state["type"] == "state" and state["conversations"] == [], f"fresh agent state {state}")

    gateway = await Client.open(args.url + "/v1/gateway", args.key, args.encoding)
    hello = await gateway.recv()
    expect(hello["type"] == "hello" and hello["role"] == "gateway", f"gateway hello {hello}")

    ok = await gateway.request({"type": "open", "ref": "o1", "conversation": conversation, "customer": "cust-py", "tier": "enterprise"})
    expect(ok["type"] == "ok" and ok["state"] == "bot" and ok["conversation"] == conversation, f"open {ok}")

    decision = await gateway.request({"type": "customer_message", "ref": "m1", "conversation": conversation, "text": "Hello, my router keeps dropping the connection"})
    expect(decision["type"] == "decision" and decision["decision"]["escalate"] is False, f"first decision {decision}")
    expect(set(decision["decision"]["sentiment"]) == {"last", "ewma", "min", "trend"}, "sentiment fields")

    # A bad frame on the way: an error with the reference, and the connection carries on.
    error = await gateway.request({"type": "teleport", "ref": "bad1"})
    expect(error["type"] == "error" and error["code"] == "unknown_type", f"unknown type {error}")
    pong = await gateway.request({"type": "ping", "ref": "p1"})
    expect(pong == {"type": "pong", "ref": "p1"}, f"pong {pong}")

    decision = await gateway.request({"type": "customer_message", "ref": "m2", "conversation": conversation, "text": "I want to talk to a person"})
    body = decision["decision"]
    expect(body["escalate"] is True and body["reason"] == "explicit_request" and body["skill"] == "general", f"escalation {decision}")
    await gateway.until("bot silenced", lambda f: is_event(f, "bot_silenced"))
    waiting = await gateway.until("waiting", lambda f: is_event(f, "waiting"))
    expect(isinstance(waiting["event"]["message"], str) and waiting["event"]["message"], f"waiting {waiting}")
    return agent, gateway, conversation


async def chat(args, agent, gateway, conversation):
    offer = await agent.until("offer", lambda f: is_agent_event(f, "offer"))
    packet = offer["event"]["packet"]
    expect(packet["conversation"] == conversation, f"offer {offer}")
    expect(packet["customer"]["id"] == "cust-py" and packet["customer"]["tier"] == "enterprise", f"customer {packet}")
    texts = [turn["text"] for turn in packet["transcript"]]
    expect(texts == ["Hello, my router keeps dropping the connection", "I want to talk to a person"], f"transcript {texts}")
    expect(offer["event"]["expires_in_ms"] > 0, "offer expiry")

    ok = await agent.request({"type": "accept", "ref": "a1", "conversation": conversation})
    expect(ok["type"] == "ok", f"accept {ok}")
    joined = await gateway.until("agent joined", lambda f: is_event(f, "agent_joined"))
    expect(joined["event"]["name"] == "Robin Python" and joined["event"]["message"], f"joined {joined}")

    ok = await agent.request({"type": "message", "ref": "a2", "conversation": conversation, "text": "Hi, Robin here — let's fix that router. 🛠"})
    expect(ok["type"] == "ok", f"agent message {ok}")
    said = await gateway.until("agent message", lambda f: is_event(f, "agent_message"))
    expect(said["event"]["text"] == "Hi, Robin here — let's fix that router. 🛠", f"agent message {said}")

    decision = await gateway.request({"type": "customer_message", "ref": "m3", "conversation": conversation, "text": "Thanks Robin!"})
    expect(decision["type"] == "decision", f"decision {decision}")
    heard = await agent.until("customer message", lambda f: is_agent_event(f, "customer_message"))
    expect(heard["event"]["text"] == "Thanks Robin!", f"heard {heard}")

    transcript = await agent.request({"type": "transcript", "ref": "a3", "conversation": conversation})
    expect([t["role"] for t in transcript["turns"]] == ["customer", "customer", "agent", "customer"], f"transcript {transcript}")

    ok = await agent.request({"type": "feedback", "ref": "a4", "conversation": conversation, "verdict": "appropriate"})
    expect(ok["type"] == "ok", f"feedback {ok}")
    closed = await gateway.request({"type": "close", "ref": "c1", "conversation": conversation, "resolution": "router replaced", "csat": 5})
    expect(closed["type"] == "ok" and closed["state"] == "closed", f"close {closed}")
    released = await agent.until("released", lambda f: is_agent_event(f, "released"))
    expect(released["event"]["reason"] == "closed", f"released {released}")

    again = await gateway.request({"type": "close", "ref": "c2", "conversation": conversation})
    expect(again["type"] == "error" and again["code"] == "conversation_finished" and again["conversation"] == conversation, f"close twice {again}")
    state = await gateway.request({"type": "resume", "ref": "r1", "conversations": [conversation]})
    expect(state["conversations"][0]["state"] == "closed", f"resume {state}")

    bye = await agent.request({"type": "logout", "ref": "bye"})
    expect(bye["type"] == "ok", f"logout {bye}")


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:7878")
    parser.add_argument("--encoding", choices=["json", "msgpack"], default="json")
    parser.add_argument("--key", default="dev-gateway-key")
    parser.add_argument("--secret", default="dev-token-secret-change-me")
    args = parser.parse_args()
    agent, gateway, conversation = await handoff(args)
    await chat(args, agent, gateway, conversation)
    await agent.close()
    await gateway.close()
    print(f"interop ok: {args.encoding}: handoff, chat, feedback, close, resume, errors ({conversation})")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as e:
        print(f"interop FAILED: {e}", file=sys.stderr)
        sys.exit(1)
