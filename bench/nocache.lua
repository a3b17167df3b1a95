-- wrk script for the uncached runs: every request asks for a URL nobody asked for before
-- (…&nocache=<run>-<thread>-<n>), and says Cache-Control: no-cache, so no cache can answer it.
-- Usage: wrk -s bench/nocache.lua http://127.0.0.1:8701/path -- <run id>

local threads = 0
local counter = 0
local prefix = "0"

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  prefix = (args[1] or "0") .. "-" .. tostring(thread_number or 0)
  wrk.headers["Cache-Control"] = "no-cache"
end

function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "nocache=" .. prefix .. "-" .. counter)
end
