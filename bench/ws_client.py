"""A Streamlit tab without a browser: the app's websocket (/_stcore/stream) spoken with the
protobuf messages of the installed streamlit package, for the load bench's light client.

What a browser tab does and this does too: asks for a run of a page (BackMsg rerun_script
with the page's script hash, the query string and the widget states of the action), reads
the ForwardMsgs that answer (new_session starts a run, deltas draw it, script_finished ends
it; a run ended early for st.rerun() is followed by the next one), keeps the app's pages from
the navigation message and the widgets each run draws (by label), and reruns a fragment
every interval the server asks for (auto_rerun). What it does not: draw anything, run the
front end's JavaScript (a components.html frame is only read), cache messages, or send the
values of widgets the action does not touch (the server keeps its own).

The Streamlit protocol is internal to Streamlit and changes between versions; this speaks
the one of the streamlit installed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

# Error alerts the app draws in place of a failed page or a lost sign-in (planner_app.py,
# ui/session.py): the page did not do what the person asked.
ERROR_ALERTS = (
    "Something went wrong on this page",
    "Please sign in first.",
    "This page is not available to your role.",
)


class ProtocolError(RuntimeError):
    """The server's answer was not what a browser would have been shown."""


def strings(message: Message) -> Iterator[str]:
    """Every text field of a protobuf message, nested messages and lists included (labels,
    markdown bodies, an iframe's srcdoc)."""
    for descriptor, value in message.ListFields():
        repeated = descriptor.is_repeated
        values: Iterable[Any] = value if repeated else (value,)
        if descriptor.type == descriptor.TYPE_STRING:
            yield from values
        elif descriptor.type == descriptor.TYPE_MESSAGE:
            if descriptor.message_type.GetOptions().map_entry:
                for key, item in value.items():
                    if isinstance(key, str):
                        yield key
                    if isinstance(item, str):
                        yield item
                    elif isinstance(item, Message):
                        yield from strings(item)
                continue
            for item in values:
                yield from strings(item)


@dataclass
class Widget:
    kind: str  # the Element field: button, text_input, slider, ...
    id: str
    label: str
    disabled: bool


def widget_of(element: Element) -> Widget | None:
    """The widget an Element draws, if it is one with an id and a label."""
    kind = element.WhichOneof("type")
    if kind is None:
        return None
    inner = getattr(element, kind)
    widget_id = getattr(inner, "id", None)
    label = getattr(inner, "label", None)
    if not isinstance(widget_id, str) or not widget_id or not isinstance(label, str):
        return None
    return Widget(kind, widget_id, label, bool(getattr(inner, "disabled", False)))


def element_error(element: Element) -> str | None:
    """What went wrong, when an Element is an exception or one of the app's error alerts."""
    kind = element.WhichOneof("type")
    if kind == "exception":
        exc = element.exception
        return f"exception shown: {exc.type}: {exc.message}"[:300]
    if kind == "alert":
        alert = element.alert
        if alert.format == Alert.ERROR and alert.body.startswith(ERROR_ALERTS):
            return f"error shown: {alert.body}"[:300]
    return None


@dataclass
class Chain:
    """The runs that answer one rerun request: a run ended early for st.rerun() is followed
    by the next, until one finishes."""

    page_hash: str
    sent_at: float = field(default_factory=time.monotonic)
    run_id: str | None = None
    texts: list[str] = field(default_factory=list)  # everything the last run drew
    widgets: dict[str, Widget] = field(default_factory=dict)  # by label, the last run's
    errors: list[str] = field(default_factory=list)
    finished_at: float | None = None
    seen: dict[str, float] = field(default_factory=dict)  # a watched text, first seen when

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    def shows(self, text: str) -> bool:
        return any(text in t for t in self.texts)


class StreamlitTab:
    """One tab's websocket session. Messages are read all the time (as a browser does), into
    the chain of the last request; `request` sends a rerun and returns its chain."""

    def __init__(self, url: str, cookie_header: str, *, timezone: str = "UTC") -> None:
        self.url = url.rstrip("/")
        self.cookie_header = cookie_header
        self.timezone = timezone
        self.pages: dict[str, tuple[str, str]] = {}  # title -> (script hash, url path)
        self.page_hash = ""
        self.chain: Chain | None = None
        self.closed: str | None = None
        self.watch: tuple[str, ...] = ()
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._auto: dict[str, asyncio.Task[None]] = {}
        self._changed = asyncio.Event()

    async def connect(self) -> None:
        import websockets

        address = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        self._ws = await websockets.connect(
            address,
            additional_headers={"Cookie": self.cookie_header, "Origin": self.url},
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=60,
            compression=None,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        for task in self._auto.values():
            task.cancel()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                if isinstance(data, str):
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self.handle(msg)
                self._changed.set()
        except Exception as exc:  # the socket broke: the waiting step fails with the reason
            self.closed = f"{type(exc).__name__}: {exc}"
        else:
            self.closed = "the server closed the websocket"
        self._changed.set()

    def handle(self, msg: ForwardMsg) -> None:
        """Fold one ForwardMsg into the tab's state (no I/O, so it can be tested alone)."""
        kind = msg.WhichOneof("type")
        chain = self.chain
        run = msg.metadata.run
        if kind == "new_session":
            if run.fragment_ids:
                return
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            for task in self._auto.values():
                task.cancel()
            self._auto.clear()
            if chain is not None and not chain.done:
                chain.run_id = run.script_run_id
                chain.widgets = {}
                chain.texts = []
        elif kind == "navigation":
            self.pages = {
                p.page_name: (p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages
            }
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta":
            if chain is None or chain.done or chain.run_id is None:
                return
            delta = msg.delta
            part: Message | None = None
            if delta.WhichOneof("type") == "new_element":
                part = delta.new_element
                widget = widget_of(delta.new_element)
                if widget is not None:
                    chain.widgets[widget.label] = widget
                error = element_error(delta.new_element)
                if error is not None:
                    chain.errors.append(error)
            elif delta.WhichOneof("type") == "add_block":
                part = delta.add_block
            if part is not None:
                new = list(strings(part))
                chain.texts.extend(new)
                now = time.monotonic()
                for text in self.watch:
                    if text not in chain.seen and any(text in t for t in new):
                        chain.seen[text] = now
        elif kind == "script_finished":
            if chain is None or chain.done or run.script_run_id != chain.run_id:
                return
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                chain.run_id = None  # the st.rerun()'s run comes next
            elif status == ForwardMsg.FINISHED_SUCCESSFULLY:
                chain.finished_at = time.monotonic()
            elif status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                chain.errors.append("the page's script did not compile")
                chain.finished_at = time.monotonic()
        elif kind == "session_event":
            if chain is not None and msg.session_event.HasField("script_compilation_exception"):
                chain.errors.append("script compilation exception")
        elif kind == "page_not_found":
            if chain is not None:
                chain.errors.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "auto_rerun":
            fragment = msg.auto_rerun.fragment_id
            if fragment and fragment not in self._auto and self._ws is not None:
                interval = max(0.5, msg.auto_rerun.interval)
                self._auto[fragment] = asyncio.create_task(self._rerun_every(fragment, interval))

    async def _rerun_every(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            state = self._client_state(self.page_hash, "", [])
            state.fragment_id = fragment
            state.is_auto_rerun = True
            await self._send(state)

    def _client_state(
        self, page_hash: str, page_name: str, widgets: list[WidgetState]
    ) -> ClientState:
        return ClientState(
            query_string="",
            page_script_hash=page_hash,
            page_name=page_name,
            widget_states=WidgetStates(widgets=widgets),
            context_info=ContextInfo(
                timezone=self.timezone, locale="en-GB", url=self.url + "/", is_embedded=False
            ),
        )

    async def _send(self, state: ClientState) -> None:
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())

    async def request(
        self,
        page: str | None,
        widgets: list[WidgetState] | None = None,
        *,
        watch: tuple[str, ...] = (),
    ) -> Chain:
        """Ask for a run of `page` (a title; None: the current page) with `widgets`' states."""
        if self.closed:
            raise ProtocolError(f"websocket closed: {self.closed}")
        if page is None:
            page_hash, name = self.page_hash, ""
        elif page in self.pages:
            page_hash, name = self.pages[page]
        else:
            raise ProtocolError(f"no page {page!r} in the navigation ({', '.join(self.pages)})")
        chain = Chain(page_hash)
        self.chain = chain
        self.watch = watch
        await self._send(self._client_state(page_hash, name, widgets or []))
        return chain

    async def wait(self, chain: Chain, until: Callable[[Chain], bool], timeout: float) -> None:
        """Until `until(chain)` holds; ProtocolError on a timeout or a broken socket."""
        deadline = time.monotonic() + timeout
        while not until(chain):
            if self.closed:
                raise ProtocolError(f"websocket closed: {self.closed}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"no answer within {timeout:.0f} s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    def widget(self, chain: Chain, label: str) -> Widget:
        found = chain.widgets.get(label)
        if found is None:
            raise ProtocolError(f"no widget {label!r} on the page")
        return found


def trigger(widget: Widget) -> WidgetState:
    """A button's press (the value lasts one run)."""
    return WidgetState(id=widget.id, trigger_value=True)


def text(widget: Widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def slider(widget: Widget, value: float) -> WidgetState:
    state = WidgetState(id=widget.id)
    state.double_array_value.data.append(value)
    return state


def handoff_code(texts: Iterable[str], route: str) -> str | None:
    """The one-time code a page hands its browser to post to `route` for the sign-in cookie
    (read from the frame's script, which a browser would run)."""
    for t in texts:
        if route in t:
            found = re.search(r"code=([A-Za-z0-9_\-]+)", t)
            if found:
                return found.group(1)
    return None
