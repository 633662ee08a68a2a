/**
 * Entry point of the explorer: render the page and keep the URL in sync.
 */
import { render } from 'preact';
import { App } from './app.tsx';
import { createLanes } from './lane.ts';
import { syncUrl } from './store.ts';
import './styles.css';

syncUrl();
render(<App lanes={createLanes()} />, document.getElementById('app')!);
