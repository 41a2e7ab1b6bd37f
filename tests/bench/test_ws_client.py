"""The load bench's light client reads Streamlit's messages as a browser tab would: a chain of
runs ends with the run after st.rerun(), widgets are found by label on the last run, an
exception or the app's error alert fails the step, and the sign-in cookie's one-time code is
read from the frame that would post it."""

from __future__ import annotations

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.ws_client import Chain, StreamlitTab, handoff_code


def started(run_id: str, page_hash: str = "p1", fragment: str | None = None) -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = page_hash
    msg.metadata.run.script_run_id = run_id
    if fragment is not None:
        msg.metadata.run.fragment_ids.append(fragment)
    return msg


def finished(run_id: str, status: int) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status  # type: ignore[assignment]
    msg.metadata.run.script_run_id = run_id
    return msg


def button(widget_id: str, label: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.button.id = widget_id
    msg.delta.new_element.button.label = label
    return msg


def markdown(body: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = body
    return msg


def a_tab() -> tuple[StreamlitTab, Chain]:
    tab = StreamlitTab("http://127.0.0.1:8080", "")
    chain = Chain("p1")
    tab.chain = chain
    return tab, chain


def test_a_chain_ends_with_the_run_after_st_rerun_and_keeps_its_widgets() -> None:
    tab, chain = a_tab()
    for msg in (
        started("r1"),
        button("w-old", "Skip"),
        markdown("Logged. If you like, add a little more"),
        finished("r1", ForwardMsg.FINISHED_EARLY_FOR_RERUN),
    ):
        tab.handle(msg)
    assert not chain.done
    for msg in (started("r2"), button("w-log", "Log a difficult call")):
        tab.handle(msg)
    tab.handle(finished("r2", ForwardMsg.FINISHED_SUCCESSFULLY))
    assert chain.done
    assert tab.widget(chain, "Log a difficult call").id == "w-log"
    assert "Skip" not in chain.widgets
    assert not chain.shows("Logged.")


def test_a_fragment_run_and_another_run_s_finish_do_not_end_the_chain() -> None:
    tab, chain = a_tab()
    tab.handle(started("r1"))
    tab.handle(started("f1", fragment="frag"))
    tab.handle(finished("f1", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY))
    tab.handle(finished("r0", ForwardMsg.FINISHED_SUCCESSFULLY))
    assert not chain.done
    tab.handle(finished("r1", ForwardMsg.FINISHED_SUCCESSFULLY))
    assert chain.done


def test_an_exception_or_the_app_s_error_alert_is_an_error_and_other_alerts_are_not() -> None:
    tab, chain = a_tab()
    tab.handle(started("r1"))
    warning = ForwardMsg()
    warning.delta.new_element.alert.body = "No forecast is saved for the week"
    warning.delta.new_element.alert.format = Alert.WARNING
    tab.handle(warning)
    assert chain.errors == []
    failed = ForwardMsg()
    failed.delta.new_element.alert.body = "Something went wrong on this page, and nothing..."
    failed.delta.new_element.alert.format = Alert.ERROR
    tab.handle(failed)
    raised = ForwardMsg()
    raised.delta.new_element.exception.type = "KeyError"
    raised.delta.new_element.exception.message = "'site'"
    tab.handle(raised)
    assert len(chain.errors) == 2
    assert "KeyError" in chain.errors[1]


def test_the_pages_come_from_the_navigation_message() -> None:
    tab, _ = a_tab()
    msg = ForwardMsg()
    page = msg.navigation.app_pages.add()
    page.page_name, page.page_script_hash, page.url_pathname = "My shift", "h-shift", "my_shift"
    msg.navigation.page_script_hash = "h-shift"
    tab.handle(msg)
    assert tab.pages == {"My shift": ("h-shift", "my_shift")}
    assert tab.page_hash == "h-shift"


def test_the_cookie_code_is_read_from_the_frame_that_posts_it() -> None:
    tab, chain = a_tab()
    tab.handle(started("r1"))
    frame = ForwardMsg()
    frame.delta.new_element.iframe.srcdoc = (
        "<script>fetch('/auth/session', {method: 'POST', body: 'code=Ab-9_x'});</script>"
    )
    tab.handle(frame)
    assert handoff_code(chain.texts, "/auth/session") == "Ab-9_x"
    assert handoff_code(chain.texts, "/auth/sign-out") is None
