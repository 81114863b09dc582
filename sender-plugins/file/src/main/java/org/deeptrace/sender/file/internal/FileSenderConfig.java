package org.deeptrace.sender.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the file sender, pid {@code org.deeptrace.sender.file} (etc/org.deeptrace.sender.file.cfg). */
@ObjectClassDefinition(name = "DeepTrace file sender", description = "Writes spans as JSON Lines, rotated by size and age.")
@interface FileSenderConfig {

    @AttributeDefinition(name = "Path", description = "File the spans are appended to; rotated files sit beside it.")
    String path() default "data/spans/spans.jsonl";

    @AttributeDefinition(name = "Rotate", description = "Rotate the file by size, and delete rotated files by age.")
    boolean rotate() default true;

    @AttributeDefinition(name = "Max size (MB)", description = "Size at which the file is rotated.")
    long max_size() default 100;

    @AttributeDefinition(name = "Max age (days)", description = "Rotated files older than this are deleted; 0 keeps them.")
    long max_age() default 7;
}
