package org.deeptrace.itest.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What {@code bin/deeptrace replay INPUT --messages M --spans S} made of one input. */
record Replayed(List<ObjectNode> messages, List<ObjectNode> spans) {

    static Replayed of(Path input, Path dir, String name) throws Exception {
        Path messages = dir.resolve(name + ".messages.jsonl");
        Path spans = dir.resolve(name + ".spans.jsonl");
        Processes.run(dir, dir.resolve(name + ".replay.log"), Duration.ofSeconds(120), Map.of(),
                List.of(LiveEnv.HOME.resolve("bin/deeptrace").toString(), "replay", input.toString(),
                        "--messages", messages.toString(), "--spans", spans.toString()));
        return new Replayed(Records.read(messages), Records.read(spans));
    }

    List<ObjectNode> messagesOfType(String type) {
        return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }
}
