package dev.nvmeof.shell.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a protocol record (IdentifyController, IdentifyNamespace) by their specification names, which are
 * the names nvme-cli prints, in declaration order, which is the structure's byte order.
 */
final class RecordFields {
    private RecordFields() {
    }

    static Map<String, Object> of(Record record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                fields.put(component.getName(), component.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of "
                        + record.getClass().getSimpleName(), e);
            }
        }
        return fields;
    }
}
