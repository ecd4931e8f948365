-- The Lua workload's script (ours; the interpreter running it is Lua 5.4 from Debian's sources).
-- What game and tool scripts do: objects with metatables, closures, string building and
-- pattern matching, table sorting, integer and float loops. Called with the number of rounds;
-- returns an integer checksum. Nothing depends on the order of pairs() (string hashes are
-- seeded) and nothing raises an error (the wasm build has no longjmp: see lua_bench.c).
local rounds = ...
local floor, sqrt, fmt, concat, sort = math.floor, math.sqrt, string.format, table.concat, table.sort

local function mix(h, v)
  h = h ~ (v + 0x9e3779b9 + (h << 6) + (h >> 2))
  return h * 0x100000001b3
end

-- A small vector class: metatables, operator overloading, method calls.
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, s) return vec(a.x * s, a.y * s) end
function Vec:len() return sqrt(self.x * self.x + self.y * self.y) end

-- Entities with behaviours as closures, stepped like a game frame.
local function make_world(n, seed)
  local rng = seed
  local function rand()
    rng = (rng * 1103515245 + 12345) & 0x7fffffff
    return rng
  end
  local entities = {}
  for i = 1, n do
    local kind = rand() % 3
    local e = { pos = vec(rand() % 1000, rand() % 1000), vel = vec(rand() % 7 - 3, rand() % 7 - 3),
                hp = 100, kind = kind, name = "e" .. i }
    if kind == 0 then
      e.think = function(self, t) self.vel = self.vel * 0.99 + vec(1, 0) end
    elseif kind == 1 then
      e.think = function(self, t) if t % 8 == 0 then self.vel = vec(-self.vel.y, self.vel.x) end end
    else
      local home = e.pos
      e.think = function(self, t) self.vel = (home - self.pos) * 0.01 + self.vel * 0.9 end
    end
    entities[i] = e
  end
  return entities
end

local function step_world(entities, frames)
  local h = 0
  for t = 1, frames do
    for i = 1, #entities do
      local e = entities[i]
      e:think(t)
      e.pos = e.pos + e.vel
      if e.pos.x < 0 or e.pos.x > 1000 then e.vel = vec(-e.vel.x, e.vel.y) end
      if e.pos.y < 0 or e.pos.y > 1000 then e.vel = vec(e.vel.x, -e.vel.y) end
      if e.pos:len() > 1200 then e.hp = e.hp - 1 end
    end
  end
  sort(entities, function(a, b)
    if a.hp ~= b.hp then return a.hp < b.hp end
    return a.name < b.name
  end)
  for i = 1, #entities, 7 do
    local e = entities[i]
    h = mix(h, floor(e.pos.x * 16) + floor(e.pos.y * 16) * 65536 + e.hp)
  end
  return h
end

-- Text: generate sentences, count words with gmatch, rewrite with gsub, format a report.
local syllables = { "ka", "lo", "mi", "ren", "sa", "tu", "vor", "el", "qui", "da", "zo", "pe" }
local function make_text(words, seed)
  local out, rng = {}, seed
  for i = 1, words do
    rng = (rng * 69069 + 1) & 0xffffffff
    local n = 1 + rng % 3
    local w = {}
    for k = 1, n do w[k] = syllables[1 + (rng >> (4 * k)) % #syllables] end
    out[i] = concat(w)
    if rng % 11 == 0 then out[i] = out[i] .. "," end
    if rng % 17 == 0 then out[i] = out[i] .. "." end
  end
  return concat(out, " ")
end

local function text_stats(text)
  local counts, order = {}, {}
  for word in text:gmatch("%a+") do
    local c = counts[word]
    if not c then order[#order + 1] = word end
    counts[word] = (c or 0) + 1
  end
  sort(order, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local report = {}
  for i = 1, math.min(20, #order) do
    report[i] = fmt("%-8s %5d %6.2f%%", order[i], counts[order[i]], 100 * counts[order[i]] / #order)
  end
  local upper = text:gsub("(%a)(%a*)", function(a, b) return a:upper() .. b end)
  local vowels = select(2, text:gsub("[aeiou]", ""))
  local h = #order + vowels * 7
  for _, line in ipairs(report) do
    for i = 1, #line do h = mix(h, line:byte(i)) end
  end
  return mix(h, #upper + upper:byte(#upper // 2 + 1))
end

-- Integer work: a sieve and Collatz chain lengths with a memo table.
local function numbers(limit)
  local composite, primes = {}, 0
  for i = 2, limit do
    if not composite[i] then
      primes = primes + 1
      for j = i * i, limit, i do composite[j] = true end
    end
  end
  local memo, best, best_n = { [1] = 1 }, 0, 0
  local function chain(n)
    local m = memo[n]
    if m then return m end
    local next_n = (n % 2 == 0) and n // 2 or 3 * n + 1
    m = 1 + chain(next_n)
    if n <= limit then memo[n] = m end
    return m
  end
  for n = 1, limit // 4 do
    local c = chain(n)
    if c > best then best, best_n = c, n end
  end
  return mix(mix(primes, best), best_n)
end

local checksum = 0
for r = 1, rounds do
  checksum = mix(checksum, step_world(make_world(40, r), 20))
  checksum = mix(checksum, text_stats(make_text(400, r * 7919)))
  checksum = mix(checksum, numbers(2000 + r))
end
return checksum
