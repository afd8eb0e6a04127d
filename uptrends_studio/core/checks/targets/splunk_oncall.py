"""Splunk On-Call (VictorOps) REST endpoint integration.

https://help.splunk.com/splunk-observability-cloud/splunk-on-call/integrations-with-splunk-on-call/rest-endpoint-integration-for-splunk-on-call
"""

from __future__ import annotations

from uptrends_studio.core.checks.targets.base import (
    Target,
    body_key,
    expected_for_type,
    one_of,
    required,
    same_across_types,
)
from uptrends_studio.core.document.model import AlertType

WHO = "Splunk On-Call"

TARGET = Target(
    key="splunk-oncall",
    name=WHO,
    docs="https://help.splunk.com/splunk-observability-cloud/splunk-on-call/"
    "integrations-with-splunk-on-call/rest-endpoint-integration-for-splunk-on-call",
    rules=(
        required("splunk-oncall-message-type-missing", WHO, "message_type"),
        one_of(
            "splunk-oncall-bad-message-type",
            WHO,
            "message_type",
            ("CRITICAL", "WARNING", "ACKNOWLEDGEMENT", "INFO", "RECOVERY"),
        ),
        required("splunk-oncall-entity-id-missing", WHO, "entity_id"),
        expected_for_type(
            "splunk-oncall-ok-not-recovery",
            WHO,
            "message_type",
            {AlertType.OK: ("RECOVERY",)},
            "the Splunk On-Call incident stays open when the monitor recovers",
        ),
    ),
    cross_rules=(
        same_across_types(
            "splunk-oncall-entity-id-differs", WHO, "entity_id", (body_key("entity_id"),)
        ),
    ),
)
