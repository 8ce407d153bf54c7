// "My customers": what the API lets this person see, masked by the API (never here).
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  function $(id) { return document.getElementById(id); }
  var roles = { admin: '管理员', manager: '经理', rep: '销售' };
  var stages = { new: '新客户', contacted: '已联系', qualified: '已确认需求', won: '成交', lost: '流失' };
  $('who').textContent = data.user.name + '（' + roles[data.user.role] + '）';
  $('title').textContent = data.user.role === 'rep' ? '我的客户' : data.user.role === 'manager' ? '团队客户' : '全部客户';
  $('scope').textContent = data.user.role === 'rep' ? '你负责的客户，以及待分配线索的客户（他人客户的电话和邮箱已隐藏）。' : data.user.role === 'manager' ? '你所在区域销售负责的客户，以及待分配线索的客户。' : '';
  $('signout').onclick = function (e) {
    e.preventDefault();
    fetch('/auth/signout', { method: 'POST', credentials: 'same-origin' }).then(function () { location.href = '/signin'; });
  };
  fetch('/api/v1/customers?limit=100', { credentials: 'same-origin' }).then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j.error; return j; }); }).then(function (page) {
    if (!page.items.length) $('empty').hidden = false;
    page.items.forEach(function (c) {
      var tr = document.createElement('tr');
      var phones = c.identities.filter(function (i) { return i.kind === 'phone'; }).map(function (i) { return i.value; }).join(' ');
      var cells = [(c.name || '') + (c.title || ''), phones, c.company || '', stages[c.stage] || c.stage, c.ownerId === data.user.id ? '我' : c.ownerId ? '同事' : '待分配'];
      cells.forEach(function (v, i) {
        var td = document.createElement('td');
        td.textContent = v;
        if (i === 1) td.className = 'mono';
        if (i === 2 || i === 3) td.className = 'opt';
        tr.appendChild(td);
      });
      $('rows').appendChild(tr);
    });
  }, function (e) { $('error').textContent = (e && e.message) || '加载失败'; });
})();
