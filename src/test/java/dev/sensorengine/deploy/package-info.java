/** Checks of the deployment files (compose, Kubernetes) that need no cluster to run. */
package dev.sensorengine.deploy;
