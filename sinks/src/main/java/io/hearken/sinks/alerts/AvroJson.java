package io.hearken.sinks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Avro records as the plain JSON a webhook receiver expects: records and maps are objects, unions are their value
 * (not Avro's {@code {"long": 5}} wrapping), enums are strings, bytes are base64, non-finite floats are strings.
 * Walks the record's own schema, so fields added to the event schemas appear without code changes.
 */
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    static JsonNode toJson(IndexedRecord record) {
        return toJson(record, record.getSchema());
    }

    static JsonNode toJson(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord r = (IndexedRecord) value;
                ObjectNode o = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    o.set(f.name(), toJson(r.get(f.pos()), f.schema()));
                }
                return o;
            }
            case UNION: {
                int branch = SpecificData.get().resolveUnion(schema, value);
                return toJson(value, schema.getTypes().get(branch));
            }
            case ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    a.add(toJson(item, schema.getElementType()));
                }
                return a;
            }
            case MAP: {
                ObjectNode o = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    o.set(e.getKey().toString(), toJson(e.getValue(), schema.getValueType()));
                }
                return o;
            }
            case ENUM:
            case STRING:
                return NODES.textNode(value.toString());
            case BYTES: {
                ByteBuffer b = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case INT:
                return NODES.numberNode(((Number) value).intValue());
            case LONG:
                return NODES.numberNode(((Number) value).longValue());
            case FLOAT: {
                float f = ((Number) value).floatValue();
                return Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(Float.toString(f));
            }
            case DOUBLE: {
                double d = ((Number) value).doubleValue();
                return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
            }
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case NULL:
                return NODES.nullNode();
            default:
                throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
        }
    }
}
