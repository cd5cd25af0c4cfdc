import 'uplot/dist/uPlot.min.css';
import '../dashboard/dashboard.css';
import { startDashboard } from '../dashboard/dashboard-app.ts';

// The dashboard watches the server that served this page (same origin, so no CORS and no URL to configure).
const root = document.getElementById('app');
if (!root) throw new Error('dashboard.html has no #app element');
startDashboard(root);
