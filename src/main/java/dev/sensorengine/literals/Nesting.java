package dev.sensorengine.literals;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * How deeply a value nests, measured without recursion: the conversions in {@link Literals} and {@link Structs}
 * recurse, and protobuf messages built in process have no depth limit, so the depth must be known (and bounded)
 * before anything converts them.
 *
 * <p>Every value is one level: a scalar input is 1 deep, a list of strings 2, a map of lists of strings 3. A
 * literal's collection elements, map values and union value, a generic Struct's field values and a
 * {@code google.protobuf.Value}'s list elements and struct fields are each one level below their parent. The same
 * count applies to the plain Java values the conversions produce, so both measures agree.
 */
public final class Nesting {

    private Nesting() {}

    /** Depth of one literal; 1 for a scalar. */
    public static int depth(Literal literal) {
        return measure(literal, 1);
    }

    /** Depth of a Struct's field values; 0 for an empty Struct, 1 when every field is a scalar. */
    public static int depth(Struct struct) {
        int depth = 0;
        for (Value value : struct.getFieldsMap().values()) {
            depth = Math.max(depth, measure(value, 1));
        }
        return depth;
    }

    /**
     * Depth of a plain value ({@link Map}, {@link Collection}, {@link GenericValue}, {@link BinaryValue} or a scalar);
     * 1 for a scalar.
     */
    public static int depthOfPlain(Object value) {
        return measure(value, 1);
    }

    private record Pending(Object node, int level) {}

    // One loop over an explicit stack: the deepest level seen is the depth, and the stack lives on the heap.
    private static int measure(Object root, int rootLevel) {
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(root, rootLevel));
        int deepest = 0;
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            int below = next.level() + 1;
            deepest = Math.max(deepest, next.level());
            Object node = next.node();
            if (node instanceof Literal literal) {
                pushChildren(literal, below, pending);
            } else if (node instanceof Value value) {
                pushChildren(value, below, pending);
            } else if (node instanceof GenericValue generic) {
                // A generic value's fields are one level below it, as a literal map's values are.
                generic.fields().values().forEach(child -> pending.push(new Pending(child, below)));
            } else if (node instanceof BinaryValue binary) {
                // Stands for the value its bytes hold, at its own level.
                pending.push(new Pending(binary.value(), next.level()));
            } else if (node instanceof Map<?, ?> map) {
                map.values().forEach(child -> pending.push(new Pending(child, below)));
            } else if (node instanceof Collection<?> list) {
                list.forEach(child -> pending.push(new Pending(child, below)));
            }
        }
        return deepest;
    }

    private static void pushChildren(Literal literal, int below, Deque<Pending> pending) {
        switch (literal.getValueCase()) {
            case COLLECTION ->
                literal.getCollection().getLiteralsList().forEach(child -> pending.push(new Pending(child, below)));
            case MAP ->
                literal.getMap().getLiteralsMap().values().forEach(child -> pending.push(new Pending(child, below)));
            case SCALAR -> {
                Scalar scalar = literal.getScalar();
                if (scalar.hasGeneric()) {
                    scalar.getGeneric()
                            .getFieldsMap()
                            .values()
                            .forEach(child -> pending.push(new Pending(child, below)));
                } else if (scalar.hasUnion()) {
                    pending.push(new Pending(scalar.getUnion().getValue(), below));
                }
            }
            default -> {
                // offloaded or empty: no children
            }
        }
    }

    private static void pushChildren(Value value, int below, Deque<Pending> pending) {
        switch (value.getKindCase()) {
            case STRUCT_VALUE ->
                value.getStructValue()
                        .getFieldsMap()
                        .values()
                        .forEach(child -> pending.push(new Pending(child, below)));
            case LIST_VALUE ->
                value.getListValue().getValuesList().forEach(child -> pending.push(new Pending(child, below)));
            default -> {
                // a scalar: no children
            }
        }
    }
}
