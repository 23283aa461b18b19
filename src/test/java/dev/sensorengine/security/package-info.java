/** The secrets sweep: connection secrets appear in no log, answer, metric or Temporal history. */
package dev.sensorengine.security;
