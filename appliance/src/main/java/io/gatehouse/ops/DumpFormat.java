package io.gatehouse.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * The MongoDB dump file: gzip, UTF-8 lines. The first line is the header
 * {@code {"format":"gatehouse-mongo-dump-1","database":...,"bodySha256":...,"collections":[{"name","count","indexes":[...]}]}},
 * then one line per document {@code {"c":"<collection>","d":<document>}}. Documents and index specs are canonical
 * Extended JSON, so every BSON type (ObjectId, dates, binary, 64-bit integers, decimals) comes back as it was.
 * {@code bodySha256} is the SHA-256 of every line after the header (each with its '\n'), so an edited document is
 * noticed as surely as a truncated file.
 */
final class DumpFormat {

    static final String FORMAT = "gatehouse-mongo-dump-1";
    static final JsonWriterSettings EXTENDED = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DumpFormat() {
    }

    /** One collection as the header lists it: the index specs as the server listed them (canonical Extended JSON). */
    record Collection(String name, long count, List<BsonDocument> indexes) {
    }

    record Header(String database, String bodySha256, List<Collection> collections) {

        String toLine() {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("database", database);
            root.put("bodySha256", bodySha256);
            ArrayNode list = root.putArray("collections");
            for (Collection c : collections) {
                ObjectNode node = list.addObject();
                node.put("name", c.name());
                node.put("count", c.count());
                ArrayNode indexes = node.putArray("indexes");
                c.indexes().forEach(index -> indexes.addRawValue(new RawValue(index.toJson(EXTENDED))));
            }
            return root.toString();
        }

        static Header parse(String line) {
            JsonNode root;
            try {
                root = JSON.readTree(line);
            } catch (Exception e) {
                throw notADump();
            }
            if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
                throw notADump();
            }
            String database = text(root, "database");
            String sha = text(root, "bodySha256");
            JsonNode list = root.path("collections");
            if (!list.isArray()) {
                throw damaged("the header lists no collections");
            }
            List<Collection> collections = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (JsonNode node : list) {
                String name = text(node, "name");
                if (name.isEmpty() || name.startsWith("system.") || !names.add(name)) {
                    throw damaged("the header lists the collection '" + name + "' twice or under a reserved name");
                }
                JsonNode count = node.path("count");
                if (!count.canConvertToLong() || count.asLong() < 0) {
                    throw damaged("the header has no count for collection '" + name + "'");
                }
                List<BsonDocument> indexes = new ArrayList<>();
                for (JsonNode index : node.path("indexes")) {
                    indexes.add(BsonDocument.parse(index.toString()));
                }
                collections.add(new Collection(name, count.asLong(), List.copyOf(indexes)));
            }
            return new Header(database, sha, List.copyOf(collections));
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.path(field);
            if (!value.isTextual()) {
                throw damaged("the header has no '" + field + "'");
            }
            return value.asText();
        }
    }

    static String documentLine(String collection, BsonDocument document) {
        return new BsonDocument("c", new BsonString(collection)).append("d", document).toJson(EXTENDED);
    }

    /** A document line: which collection, and the document with its exact BSON types. */
    record DocumentLine(String collection, BsonDocument document) {

        static DocumentLine parse(String line, long lineNumber) {
            try {
                BsonDocument parsed = BsonDocument.parse(line);
                if (parsed.size() == 2 && parsed.isString("c") && parsed.isDocument("d")) {
                    return new DocumentLine(parsed.getString("c").getValue(), parsed.getDocument("d"));
                }
            } catch (RuntimeException e) {
                // reported below, with the line number
            }
            throw damaged("line " + lineNumber + " is not a document line");
        }
    }

    static OpsException notADump() {
        return new OpsException("This file is not a Gatehouse MongoDB dump (its first line is not a " + FORMAT + " header); nothing was changed.");
    }

    static OpsException damaged(String what) {
        return new OpsException("The dump file is damaged or was edited (" + what + "); nothing was changed. Use another backup.");
    }
}
