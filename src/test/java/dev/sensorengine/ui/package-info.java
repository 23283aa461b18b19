/**
 * The Temporal UI as an operator uses it: the real dev server's UI in headless Chromium (Debian's, through Debian's
 * ChromeDriver and Selenium), with sensors made by the service over gRPC. Screenshots go to
 * {@code target/ui-screenshots/}.
 */
package dev.sensorengine.ui;
