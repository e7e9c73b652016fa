"""Tests the client's parser (wire_client.py) against every case of the committed
contract: `python3 test_client.py [CONTRACT]` (default: the repository's
contract/wire-errors.json). Standard library only; exits 1 on the first release whose
contract the parser no longer reads.
"""

import json
import os
import sys
import unittest

import wire_client

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.join(HERE, "..", "..", "contract", "wire-errors.json")


def load(path):
    with open(path, encoding="utf-8") as f:
        contract = json.load(f)
    # A layout this client was not written for is refused by name, never misread.
    if contract.get("format_version") != 1:
        raise SystemExit(f"{path}: contract format {contract.get('format_version')!r}; "
                         "this client reads format 1")
    return {g["name"]: g for g in contract["goldens"]}


class ContractTest(unittest.TestCase):
    goldens = {}

    def cases(self, golden):
        g = self.goldens[golden]
        self.assertTrue(g["cases"], f"{golden} has no cases")
        return g["cases"]

    def test_every_message_is_recognised_as_its_variant(self):
        checked = 0
        for golden in wire_client.MESSAGES.keys() | {"mooncake_store_error"}:
            for case in self.cases(golden):
                message, variant = case["fields"].get("message"), case["variant"]
                if message is None or variant is None:
                    continue
                # The Store's Display of REPLICA_NOT_IN_LOCAL_MEMORY is upstream's
                # UNKNOWN_ERROR text: by its message no client can tell it apart.
                expected = None if message == "UNKNOWN_ERROR" else variant
                with self.subTest(case=f"{golden}::{case['id']}"):
                    self.assertEqual(wire_client.recognise(golden, message), expected,
                                     f"message {message!r}")
                checked += 1
        self.assertGreater(checked, 100)

    def test_fabric_status_codes_decode_as_pinned(self):
        decoders = {
            "from_status": wire_client.decode_fabric_status,
            "from_gpu_status": wire_client.decode_fabric_gpu_status,
        }
        checked = 0
        for case in self.cases("fabric_error"):
            table, _, code = case["id"].partition(".")
            if table in decoders and "decodes_to" in case["fields"]:
                with self.subTest(case=case["id"]):
                    self.assertEqual(decoders[table](int(code)), case["fields"]["decodes_to"])
                checked += 1
            elif "status" in case["fields"] and case["variant"] not in ("IoError", "GpuSessionFailed"):
                # A variant's status decodes back to that variant.
                with self.subTest(case=case["id"]):
                    self.assertEqual(wire_client.decode_fabric_status(case["fields"]["status"]),
                                     case["variant"])
        self.assertGreater(checked, 10)

    def test_mooncake_codes_and_names(self):
        for golden, name_of, variant_of in [
            ("mooncake_store_error", wire_client.store_name, wire_client.store_variant),
            ("mooncake_transfer_error", wire_client.transfer_name, wire_client.transfer_variant),
        ]:
            checked = 0
            for case in self.cases(golden):
                fields = case["fields"]
                if "code" in fields and "name" in fields:
                    with self.subTest(case=f"{golden}::{case['id']}"):
                        self.assertEqual(name_of(fields["code"]), fields["name"])
                        if case["variant"] is not None:
                            self.assertEqual(variant_of(fields["name"]), case["variant"])
                    checked += 1
            self.assertGreater(checked, 10, golden)

    def test_informational_fields_are_not_matched(self):
        # The client relies only on fields the contract promises.
        for golden in ["fabric_error", "mooncake_store_error", "mooncake_transfer_error",
                       "snapshot_error", "vm_runtime_error"]:
            for field in ["message", "code", "status", "name", "decodes_to"]:
                policy = self.goldens[golden]["fields"].get(field)
                if policy is not None:
                    self.assertEqual(policy["policy"], "contract", f"{golden}.{field}")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else CONTRACT
    ContractTest.goldens = load(path)
    unittest.main(argv=[sys.argv[0]], verbosity=1)
