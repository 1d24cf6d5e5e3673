-- Drives citelint's language server from a real, headless Neovim:
-- opens the claim file, waits for diagnostics, applies the quick fix, saves.
-- Environment: CITELINT (the binary), CLAIM_FILE, OUT (where to write what happened).
local bin, file, out = os.getenv('CITELINT'), os.getenv('CLAIM_FILE'), os.getenv('OUT')
local lines = {}
local function done()
  vim.fn.writefile(lines, out)
  vim.cmd('qa!')
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = 'citelint', cmd = { bin, '--no-config', 'lsp' }, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(buf, id)
if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  table.insert(lines, 'timeout|no diagnostics')
  return done()
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(lines, string.format('diagnostic|%s|%d|%d|%s', code, d.lnum, d.col, (d.message:gsub('\n', ' '))))
end
local d = vim.diagnostic.get(buf)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
  context = { diagnostics = {} },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000) or {}
for _, r in pairs(responses) do
  for _, action in ipairs(r.result or {}) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      table.insert(lines, 'applied|' .. action.title)
    end
  end
end
vim.cmd('write')
done()
