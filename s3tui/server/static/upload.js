// The upload page: ask the server for a presigned POST, send the file straight to S3 with
// progress, then ask the server to confirm what S3 holds. Text only ever goes in via
// textContent, never as HTML.
"use strict";
const $ = (id) => document.getElementById(id);

function say(text, isError) {
  $("result").textContent = text;
  $("result").className = isError ? "error" : "";
}

function progress(fraction) {
  const pct = Math.floor(fraction * 100);
  $("progress").value = pct;
  $("percent").textContent = pct + " %";
}

async function api(path, token, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token,
               Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || ("the server said " + res.status));
  return data;
}

function post(url, fields, file) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        const code = /<Code>([^<]*)<\/Code>/.exec(xhr.responseText || "");
        reject(new Error("storage refused the file" + (code ? ": " + code[1] : "")));
      }
    };
    xhr.onerror = () => reject(new Error("the upload could not reach the storage"));
    xhr.send(form);
  });
}

$("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = $("file").files[0];
  if (!file) return;
  const token = $("token").value;
  $("send").disabled = true;
  progress(0);
  say("Asking for an upload link…", false);
  try {
    const ticket = await api("/api/upload-url", token, {
      filename: file.name, content_type: file.type || "application/octet-stream", size: file.size,
    });
    say("Uploading…", false);
    await post(ticket.url, ticket.fields, file);
    progress(1);
    const done = await api("/api/confirm-upload", token, { key: ticket.key });
    say("Uploaded " + done.key + " (" + done.size + " bytes, " + done.content_type + ")", false);
  } catch (err) {
    say("Not uploaded: " + err.message, true);
  } finally {
    $("send").disabled = false;
  }
});
