/**
 * The one logging path of every bundle: code logs through a {@link java.lang.System.Logger} from
 * {@link dev.nvmeof.protocol.log.Log#get}; in plain Java that is the JDK's platform logger, in OSGi a component
 * routes it to the OSGi Log Service. Plain Java, no OSGi.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.protocol.log;
