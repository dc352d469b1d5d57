// The companion app's only script: replies stream into the chat as they are written (SSE over fetch), with a
// typing indicator; without it, the same forms post and the page reloads with the whole reply.
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]');

  function events(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { return; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          var block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          var name = 'message';
          var data = '';
          block.split('\n').forEach(function (line) {
            if (line.indexOf('event: ') === 0) { name = line.slice(7); }
            if (line.indexOf('data: ') === 0) { data += line.slice(6); }
          });
          onEvent(name, data ? JSON.parse(data) : {});
        }
        return pump();
      });
    }
    return pump();
  }

  function bubble(cls, who, text) {
    var li = document.createElement('li');
    li.className = 'line ' + cls;
    var w = document.createElement('span');
    w.className = 'who';
    w.textContent = who;
    var p = document.createElement('p');
    p.className = 'text';
    p.textContent = text;
    li.appendChild(w);
    li.appendChild(p);
    document.getElementById('lines').appendChild(li);
    return p;
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList.contains('stream') || !window.fetch || !csrf) { return; }
    e.preventDefault();
    var typing = document.getElementById('typing');
    var error = document.getElementById('chat-error');
    var lines = document.getElementById('lines');
    var charName = typing.querySelector('span').textContent;
    var body = new URLSearchParams(new FormData(form));
    var target = null;
    var textarea = form.querySelector('textarea[name="text"]');
    if (textarea) {
      bubble('user', 'You', textarea.value.trim());
      textarea.value = '';
    }
    var last = lines.lastElementChild;
    if (form.querySelector('.continue') && last) { target = last.querySelector('.text'); }
    Array.prototype.forEach.call(document.querySelectorAll('form.stream button'), function (b) { b.disabled = true; });
    error.hidden = true;
    typing.hidden = false;
    fetch(form.action, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'accept': 'text/event-stream', 'x-csrf-token': csrf.content }
    }).then(function (response) {
      if (!response.ok) { throw new Error('The server answered ' + response.status + '.'); }
      return events(response, function (name, data) {
        if (name === 'delta') {
          typing.hidden = true;
          if (!target) { target = bubble('char', charName, ''); target.parentNode.classList.add('streaming'); }
          target.textContent += data.text;
        } else if (name === 'done') {
          window.location.reload();
        } else if (name === 'error') {
          typing.hidden = true;
          error.textContent = data.message;
          error.hidden = false;
        }
      });
    }).catch(function (err) {
      typing.hidden = true;
      error.textContent = err.message;
      error.hidden = false;
    }).then(function () {
      Array.prototype.forEach.call(document.querySelectorAll('form.stream button'), function (b) { b.disabled = false; });
    });
  });
})();
