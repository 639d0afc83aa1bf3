#!/usr/bin/env python3
"""An HMC job client, written the way IBM's own clients drive the HMC's REST API, using only Python's
standard library: it logs on (and again whenever it is told 401: an idle expiry, a node restart), fetches
the operation's JobRequest template, appends its own JobParameters, PUTs it, polls the job once a second
until it ends, and prints its Status, Results and ResponseException/Message.

    python3 hmc_client.py --url https://127.0.0.1:5443 --fingerprint AB:CD:... \\
        --target lpar-1 LogicalPartition PowerOff operation=osshutdown immediate=true

HTTPS with a self-signed certificate: give --fingerprint (the SHA-256 one the node prints at start) to
trust exactly that certificate, or --cafile for a certificate from your own authority.
"""
import argparse
import hashlib
import http.client
import ssl
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

WEB = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/"
ATOM = "http://www.w3.org/2005/Atom"
XML_TYPE = "application/vnd.ibm.powervm.web+xml"
TERMINAL = {"COMPLETED_OK", "COMPLETED_WITH_WARNINGS", "COMPLETED_WITH_ERROR", "FAILED_TO_START",
            "FAILED_BEFORE_COMPLETION", "FAILED_BEFORE_COMPLETION_RETRY", "CANCELED_BEFORE_START",
            "CANCELED_WHILE_RUNNING"}


class HmcClient:
    def __init__(self, url, user, password, fingerprint=None, cafile=None, session_file=None):
        self.url = urllib.parse.urlsplit(url)
        self.user, self.password = user, password
        self.fingerprint = fingerprint.replace(":", "").lower() if fingerprint else None
        self.cafile = cafile
        self.session_file = session_file
        self.session = self._read_session()

    def _connection(self):
        if self.url.scheme != "https":
            return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        context = ssl.create_default_context(cafile=self.cafile)
        if self.fingerprint:
            # A pinned certificate: the chain is not checked, the certificate's fingerprint is (below).
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(self.url.hostname, self.url.port, context=context, timeout=60)
        connection.connect()
        if self.fingerprint:
            seen = hashlib.sha256(connection.sock.getpeercert(binary_form=True)).hexdigest()
            if seen != self.fingerprint:
                connection.close()
                raise SystemExit(f"the node's certificate has fingerprint {seen}, not the one given: refusing to talk to it")
        return connection

    def _send(self, method, path, body=None, content_type=None):
        connection = self._connection()
        # As IBM's clients do: the session, an empty Basic credential beside it, and an audit memento.
        headers = {"Accept": f"application/atom+xml, {XML_TYPE}", "Authorization": "Basic Og==",
                   "X-Audit-Memento": "hmc_client.py"}
        if self.session:
            headers["X-API-Session"] = self.session
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data

    def logon(self):
        body = (f'<LogonRequest xmlns="{WEB}" schemaVersion="V1_0"><Metadata><Atom/></Metadata>'
                f"<UserID>{self.user}</UserID><Password>{self.password}</Password></LogonRequest>")
        self.session = None
        status, data = self._send("PUT", "/rest/api/web/Logon", body, f"{XML_TYPE}; type=LogonRequest")
        if status != 200:
            raise SystemExit(f"logon refused ({status}): {error_message(data)}")
        self.session = ET.fromstring(data).find(f"{{{WEB}}}X-API-Session").text
        if self.session_file:
            with open(self.session_file, "w") as f:
                f.write(self.session)

    def request(self, method, path, body=None, content_type=None):
        """Sends a request; on 401 (the session ended) logs on again, once, and sends it again."""
        if not self.session:
            self.logon()
        status, data = self._send(method, path, body, content_type)
        if status == 401:
            print(f"session no longer valid ({error_message(data)}); logging on again", file=sys.stderr)
            self.logon()
            status, data = self._send(method, path, body, content_type)
        if status >= 400:
            raise SystemExit(f"{method} {path} failed ({status}): {error_message(data)}")
        return data

    def run_job(self, group, operation, target, parameters):
        path = f"/rest/api/uom/{group}/{target + '/' if target else ''}do/{operation}"
        template = content(ET.fromstring(self.request("GET", path)))
        job_parameters = template.find(f"{{{WEB}}}JobParameters")
        for name, value in parameters:
            parameter = ET.SubElement(job_parameters, f"{{{WEB}}}JobParameter", schemaVersion="V1_0")
            ET.SubElement(ET.SubElement(parameter, f"{{{WEB}}}Metadata"), f"{{{WEB}}}Atom")
            ET.SubElement(parameter, f"{{{WEB}}}ParameterName", kb="ROR", kxe="false").text = name
            ET.SubElement(parameter, f"{{{WEB}}}ParameterValue", kb="CUR", kxe="false").text = value
        submitted = content(ET.fromstring(self.request("PUT", path, ET.tostring(template), f"{XML_TYPE}; type=JobRequest")))
        job_id = submitted.find(f"{{{WEB}}}JobID").text
        print(f"job {job_id} submitted")
        while True:
            job = content(ET.fromstring(self.request("GET", f"/rest/api/uom/jobs/{job_id}")))
            status = job.find(f"{{{WEB}}}Status").text
            if status in TERMINAL:
                return job_id, job, status
            time.sleep(1)

    def _read_session(self):
        try:
            with open(self.session_file) as f:
                return f.read().strip() or None
        except (TypeError, OSError):
            return None


def content(element):
    """The HMC object of an Atom entry, or the element itself when it came bare."""
    if element.tag == f"{{{ATOM}}}entry":
        return list(element.find(f"{{{ATOM}}}content"))[0]
    return element


def error_message(data):
    try:
        message = ET.fromstring(data).find(f".//{{{WEB}}}Message")
        return message.text if message is not None else data.decode(errors="replace")
    except ET.ParseError:
        return data.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser(description="Run one job through a node's HMC API, as the HMC's clients do.")
    parser.add_argument("--url", required=True, help="e.g. https://127.0.0.1:5443")
    parser.add_argument("--user", default="hscroot")
    parser.add_argument("--password", default="abc123")
    parser.add_argument("--fingerprint", help="trust exactly the certificate with this SHA-256 fingerprint")
    parser.add_argument("--cafile", help="trust certificates signed by this authority")
    parser.add_argument("--session-file", help="keep the session here, to use it again on the next run")
    parser.add_argument("--target", help="the target (a partition's id), if the operation has one")
    parser.add_argument("group")
    parser.add_argument("operation")
    parser.add_argument("parameters", nargs="*", help="name=value")
    args = parser.parse_args()
    parameters = [tuple(p.split("=", 1)) for p in args.parameters]
    client = HmcClient(args.url, args.user, args.password, args.fingerprint, args.cafile, args.session_file)
    job_id, job, status = client.run_job(args.group, args.operation, args.target, parameters)
    print(f"job {job_id}: {status}")
    for parameter in job.iterfind(f"{{{WEB}}}Results/{{{WEB}}}JobParameter"):
        print(f"  {parameter.find(f'{{{WEB}}}ParameterName').text} = {parameter.find(f'{{{WEB}}}ParameterValue').text}")
    exception = job.find(f"{{{WEB}}}ResponseException/{{{WEB}}}Message")
    if status != "COMPLETED_OK":
        print(f"  failed: {exception.text if exception is not None else 'Job failed.'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
