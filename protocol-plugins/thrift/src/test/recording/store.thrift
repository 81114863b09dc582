// The service the Thrift golden pcaps exercise: every field type, a declared exception, a oneway call.
namespace py store

exception NotFound {
  1: string key,
  2: i32 code,
}

struct Meta {
  1: bool flag,
  2: double score,
  3: binary blob,
  4: set<i16> shards,
  5: i8 level,
}

struct Item {
  1: string key,
  2: i64 value,
  3: list<string> tags,
  4: map<string, i32> attrs,
  5: Meta meta,
}

service Store {
  void ping(),
  i64 add(1: i64 a, 2: i32 b),
  Item get(1: string key) throws (1: NotFound notFound),
  Item put(1: Item item),
  oneway void log(1: string line),
  string crash(1: string why),
}
