package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.ErrorLogEntry;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.SmartLog;
import dev.nvmeof.protocol.SmartLogFlyweight;

/** {@code nvme get-log}, {@code smart-log} and {@code error-log}. */
public final class LogCommands {
    private static final int NSID_ALL = 0xFFFF_FFFF;
    private static final int MAX_LOG_BYTES = 1 << 20;

    private final NvmeHost host;

    public LogCommands(NvmeHost host) {
        this.host = host;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("get-log", "read any log page (hex dump, or raw with -b)",
                new Args.Spec("nvme get-log").value("log-id", 'i', "log page identifier")
                        .value("log-len", 'l', "bytes to read, a multiple of 4")
                        .value("namespace-id", 'n', "NSID (default: FFFFFFFFh)")
                        .value("lpo", 'O', "log page offset, a multiple of 4")
                        .flag("rae", 'r', "retain the asynchronous event (always done)")
                        .flag("raw-binary", 'b', "write the raw bytes"), this::getLog));
        nvme.add(new Subcommand("smart-log", "SMART / health information",
                new Args.Spec("nvme smart-log").value("namespace-id", 'n', "NSID (default: FFFFFFFFh)")
                        .value("output-format", 'o', "normal or json")
                        .flag("raw-binary", 'b', "write the raw bytes"), this::smartLog));
        nvme.add(new Subcommand("error-log", "error information log entries",
                new Args.Spec("nvme error-log").value("log-entries", 'e', "entries to read (default: ELPE+1)")
                        .value("output-format", 'o', "normal or json")
                        .flag("raw-binary", 'b', "write the raw bytes"), this::errorLog));
    }

    private void getLog(Args args, PrintStream out) throws NvmeException {
        NvmeController controller = new Devices(host).target("nvme get-log", args.positional()).controller();
        int lid = (int) args.number("log-id", -1);
        if (lid < 0 || lid > 0xFF) {
            throw ShellException.usage("nvme get-log: '--log-id' (-i) from 0 to 255 is required");
        }
        long length = args.number("log-len", -1);
        if (length < 4 || length > MAX_LOG_BYTES || length % 4 != 0) {
            throw ShellException.usage("nvme get-log: '--log-len' (-l) is required: a multiple of 4 up to "
                    + MAX_LOG_BYTES);
        }
        int nsid = (int) args.number("namespace-id", NSID_ALL);
        byte[] page = controller.logPage(lid, nsid, (int) length, args.number("lpo", 0));
        if (args.has("raw-binary")) {
            out.write(page, 0, page.length);
            return;
        }
        out.printf("Device:%s log-id:%d namespace-id:%#x%n", controller.name(), lid, nsid);
        HexDump.print(out, page, page.length);
    }

    private void smartLog(Args args, PrintStream out) throws NvmeException {
        NvmeController controller = new Devices(host).target("nvme smart-log", args.positional()).controller();
        int nsid = (int) args.number("namespace-id", NSID_ALL);
        byte[] raw = controller.logPage(0x02, nsid, SmartLogFlyweight.LENGTH, 0);
        if (args.has("raw-binary")) {
            out.write(raw, 0, raw.length);
            return;
        }
        ByteBuffer page = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        SmartLog s = new SmartLogFlyweight().wrap(page, 0).toRecord();
        Map<String, Object> f = Json.object();
        f.put("critical_warning", s.criticalWarning());
        f.put("temperature", s.compositeTemperature());
        f.put("avail_spare", s.availableSpare());
        f.put("spare_thresh", s.availableSpareThreshold());
        f.put("percent_used", s.percentageUsed());
        f.put("endurance_grp_critical_warning_summary", s.enduranceGroupCriticalWarningSummary());
        f.put("data_units_read", s.dataUnitsRead());
        f.put("data_units_written", s.dataUnitsWritten());
        f.put("host_read_commands", s.hostReadCommands());
        f.put("host_write_commands", s.hostWriteCommands());
        f.put("controller_busy_time", s.controllerBusyTime());
        f.put("power_cycles", s.powerCycles());
        f.put("power_on_hours", s.powerOnHours());
        f.put("unsafe_shutdowns", s.unsafeShutdowns());
        f.put("media_errors", s.mediaErrors());
        f.put("num_err_log_entries", s.numberOfErrorLogEntries());
        f.put("warning_temp_time", s.warningTemperatureTime());
        f.put("critical_comp_time", s.criticalTemperatureTime());
        // Temperature sensors 1-8 (bytes 200-215) are printed only when reported, as nvme-cli does.
        for (int i = 0; i < 8; i++) {
            int kelvin = page.getShort(200 + 2 * i) & 0xFFFF;
            if (kelvin != 0) {
                f.put("temperature_sensor_" + (i + 1), kelvin);
            }
        }
        f.put("thm_temp1_trans_count", page.getInt(216) & 0xFFFF_FFFFL);
        f.put("thm_temp2_trans_count", page.getInt(220) & 0xFFFF_FFFFL);
        f.put("thm_temp1_total_time", page.getInt(224) & 0xFFFF_FFFFL);
        f.put("thm_temp2_total_time", page.getInt(228) & 0xFFFF_FFFFL);
        if (args.json()) {
            // nvme-cli prints the 128-bit counters as strings (JSON numbers lose precision past 2^53).
            f.replaceAll((name, value) -> value instanceof BigInteger big ? big.toString() : value);
            out.println(Json.write(f));
            return;
        }
        out.printf("Smart Log for NVME device:%s namespace-id:%x%n", controller.name(), nsid);
        for (Map.Entry<String, Object> field : f.entrySet()) {
            String value = String.valueOf(field.getValue());
            switch (field.getKey()) {
                case "temperature" -> value = (s.compositeTemperature() - 273) + " C (" + value + " Kelvin)";
                case "avail_spare", "spare_thresh", "percent_used" -> value = value + "%";
                default -> {
                    if (field.getValue() instanceof BigInteger) {
                        value = String.format("%,d", (BigInteger) field.getValue());
                    }
                }
            }
            out.printf("%-40s: %s%n", field.getKey(), value);
        }
    }

    private void errorLog(Args args, PrintStream out) throws NvmeException {
        NvmeController controller = new Devices(host).target("nvme error-log", args.positional()).controller();
        IdentifyController id = controller.identify();
        int entries = (int) args.number("log-entries", id == null ? 1 : id.elpe() + 1);
        if (entries < 1 || entries > 256) {
            throw ShellException.usage("nvme error-log: '--log-entries' (-e) must be from 1 to 256");
        }
        List<ErrorLogEntry> log = controller.errorLog(entries);
        List<Object> errors = Json.array();
        for (ErrorLogEntry e : log) {
            Map<String, Object> f = Json.object();
            f.put("error_count", e.errorCount());
            f.put("sqid", e.sqid());
            f.put("cmdid", e.cid());
            f.put("status_field", e.statusField());
            f.put("phase_tag", e.phaseTag() ? 1 : 0);
            f.put("parm_error_location", e.parameterErrorLocation());
            f.put("lba", e.lba());
            f.put("nsid", e.nsid());
            f.put("vs", e.vendorSpecificLogPage());
            f.put("trtype", e.trtype());
            f.put("cs", e.commandSpecific());
            f.put("trtype_spec_info", e.transportSpecific());
            errors.add(f);
        }
        if (args.json()) {
            Map<String, Object> root = Json.object();
            root.put("errors", errors);
            out.println(Json.write(root));
            return;
        }
        out.println("Error Log Entries for device:" + controller.name() + " entries:" + entries);
        out.println(".................");
        for (int i = 0; i < errors.size(); i++) {
            out.println(" Entry[" + String.format("%2d", i) + "]   ");
            out.println(".................");
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) errors.get(i);
            for (Map.Entry<String, Object> field : f.entrySet()) {
                out.printf("%-16s: %s%n", field.getKey(), field.getValue());
            }
            out.println(".................");
        }
    }
}
