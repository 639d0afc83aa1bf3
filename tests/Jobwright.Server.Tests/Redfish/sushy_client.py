"""Drives a Jobwright node with sushy, as an operator's script would; prints one JSON object with what it saw.

usage: sushy_client.py URL CERTIFICATE USER PASSWORD ok|partial|cancel
(CERTIFICATE: the node's certificate, PEM, trusted as the one that signs its own.)
"""
import json
import sys

import sushy
from sushy import auth as sushy_auth
from sushy import connector as sushy_connector
from sushy import exceptions
from sushy.taskmonitor import TaskMonitor

url, certificate, user, password, scenario = sys.argv[1:6]
conn = sushy_connector.Connector(url, verify=certificate)
auth = sushy_auth.SessionAuth(user, password)
root = sushy.Sushy(url + '/redfish/v1', auth=auth, connector=conn)
seen = {'session': auth.get_session_resource_id()}

if scenario == 'ok':
    system = root.get_system('/redfish/v1/Systems/1')
    seen['powerBefore'] = system.power_state.value
    system.reset_system(sushy.ResetType.ON)
    # reset_system answers nothing; the job is the newest Task, and its TaskMonitor is where to wait.
    task = root.get_task_service().tasks.get_members()[0]
    monitor = TaskMonitor(conn, task.task_monitor)
    monitor.wait(60)
    seen['final'] = monitor.response.status_code
    seen['body'] = monitor.response.json()
    system.refresh()
    seen['powerAfter'] = system.power_state.value
    seen['task'] = task.identity
else:
    body = {'failTasks': '2', 'durationMs': 300} if scenario == 'partial' else {'durationMs': 600000}
    response = conn.post('/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run', data=body)
    monitor = TaskMonitor.from_response(conn, response, '/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run')
    seen['monitor'] = monitor.task_monitor_uri
    seen['task'] = monitor.task.identity
    seen['firstState'] = monitor.task.task_state.value
    if scenario == 'cancel':
        seen['delete'] = conn.delete(monitor.task_monitor_uri).status_code
    try:
        monitor.wait(60)
        seen['final'] = monitor.response.status_code
        seen['body'] = monitor.response.json()
    except exceptions.HTTPError as e:
        seen['final'] = e.status_code
        seen['error'] = e.code
    task = root.get_task_service().tasks.get_member('/redfish/v1/TaskService/Tasks/' + seen['task'])
    seen['taskState'] = task.task_state.value
    seen['taskStatus'] = task.task_status.value
    seen['messages'] = [m.message_id for m in task.messages]

# Logging off deletes the session; its token then answers 401.
token = auth.get_session_key()
auth.close()
seen['afterLogoff'] = conn._session.get(url + '/redfish/v1/TaskService', headers={'X-Auth-Token': token}).status_code
print(json.dumps(seen))
