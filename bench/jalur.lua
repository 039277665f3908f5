-- wrk script: rotates through the request paths listed (one per line) in the file named by the
-- environment variable JALUR, so that a search is not the same query every time.
local jalur = {}
local f = assert(io.open(os.getenv("JALUR"), "r"))
for l in f:lines() do
  if l ~= "" then jalur[#jalur + 1] = l end
end
f:close()
local i = 0
request = function()
  i = i % #jalur + 1
  return wrk.format(nil, jalur[i])
end
